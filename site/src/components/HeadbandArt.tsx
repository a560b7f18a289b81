/**
 * A drawn headband in a given colour: the band seen at an angle, its two side pockets, each holding
 * a sound processor, and the silicone grip strip inside. Rendered to static SVG at build time and
 * re-rendered by the product page's drawing island when the shopper picks another colour.
 */
import { swatch } from "../lib/variants.ts";

export interface HeadbandArtProps {
  colour: string;
  /** The product slug: sets the band's width and pattern. */
  style: string;
  label: string;
  /** Keeps ids unique when several drawings share a page. */
  id: string;
}

const widths: Record<string, number> = { sport: 40, slim: 18, kids: 28, bilateral: 32, classic: 30 };

export function HeadbandArt({ colour, style, label, id }: HeadbandArtProps) {
  const { band, shade } = swatch(colour);
  const width = widths[style] ?? 30;
  const pocket = width + 18;
  return (
    <svg viewBox="0 0 320 220" role="img" aria-label={label} class="headband-art" data-colour={colour}>
      <title>{label}</title>
      <defs>
        <radialGradient id={`${id}-bg`} cx="50%" cy="45%" r="60%">
          <stop offset="0%" stop-color="#fffaf2" />
          <stop offset="100%" stop-color="#f3e7d6" />
        </radialGradient>
      </defs>
      <rect width="320" height="220" rx="24" fill={`url(#${id}-bg)`} />
      <ellipse cx="160" cy="186" rx="118" ry="12" fill="#e6d6c1" />
      {/* back of the band */}
      <path d="M40 112 A120 58 0 0 1 280 112" fill="none" stroke={shade} stroke-width={width} stroke-linecap="round" />
      {/* grip strip on the inside of the back */}
      <path
        d="M52 112 A108 48 0 0 1 268 112"
        fill="none"
        stroke="#f7f1e8"
        stroke-opacity="0.55"
        stroke-width="3"
        stroke-dasharray="2 7"
        stroke-linecap="round"
      />
      {/* front of the band */}
      <path d="M40 112 A120 58 0 0 0 280 112" fill="none" stroke={band} stroke-width={width} stroke-linecap="round" />
      {style === "kids" && (
        <g fill="#ffffff" fill-opacity="0.75">
          <circle cx="110" cy="160" r="4" />
          <circle cx="140" cy="167" r="3" />
          <circle cx="180" cy="167" r="4" />
          <circle cx="212" cy="160" r="3" />
        </g>
      )}
      {style === "sport" && (
        <path d="M62 136 A120 58 0 0 0 258 136" fill="none" stroke="#ffffff" stroke-opacity="0.6" stroke-width="3" />
      )}
      {[40, 280].map((x) => (
        <g key={x}>
          <rect
            x={x - 24}
            y={112 - pocket / 2}
            width="48"
            height={pocket}
            rx="16"
            fill={band}
            stroke={shade}
            stroke-width="3"
          />
          {/* the processor in its pocket, microphones free at the top */}
          <rect
            x={x - 11}
            y={112 - pocket / 2 - 14}
            width="22"
            height="34"
            rx="10"
            fill="#cfd3d8"
            stroke="#7d838b"
            stroke-width="2"
          />
          <circle cx={x} cy={112 - pocket / 2 - 6} r="2.5" fill="#5b6169" />
          <path d={`M${x - 16} ${112 - pocket / 2 + 14} h32`} stroke={shade} stroke-width="3" stroke-linecap="round" />
        </g>
      ))}
    </svg>
  );
}
