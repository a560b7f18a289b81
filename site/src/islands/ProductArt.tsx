/** The product drawing, redrawn in the colour the shopper picks (shared with ProductPicker). */
import { useStore } from "@nanostores/preact";
import { HeadbandArt } from "../components/HeadbandArt.tsx";
import { $pickedColour } from "../lib/pick.ts";

interface Props {
  style: string;
  initialColour: string;
  /** The drawing's text alternative per colour. */
  labels: Record<string, string>;
}

export default function ProductArt({ style, initialColour, labels }: Props) {
  const colour = useStore($pickedColour) ?? initialColour;
  return <HeadbandArt colour={colour} style={style} label={labels[colour] ?? ""} id={`art-${style}`} />;
}
