/** A labelled number field with large − and + buttons; commits typed values on change. */
interface Props {
  id: string;
  label: string;
  /** Visually hidden label: the visible one is the field's own. */
  hideLabel?: boolean;
  lessLabel: string;
  moreLabel: string;
  value: number;
  min?: number;
  max: number;
  disabled?: boolean;
  onChange: (value: number) => void;
}

export function QuantityStepper({
  id,
  label,
  hideLabel,
  lessLabel,
  moreLabel,
  value,
  min = 1,
  max,
  disabled,
  onChange,
}: Props) {
  const clamp = (n: number) => Math.max(min, Math.min(max, Math.trunc(n)));
  return (
    <div class="stepper">
      <label for={id} class={hideLabel ? "visually-hidden" : "stepper-label"}>
        {label}
      </label>
      <div class="stepper-controls">
        <button
          type="button"
          class="stepper-button"
          aria-label={lessLabel}
          aria-controls={id}
          disabled={disabled || value <= min}
          onClick={() => onChange(clamp(value - 1))}
        >
          −
        </button>
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          value={value}
          disabled={disabled}
          data-testid="quantity"
          onChange={(event) => {
            const typed = Number.parseInt(event.currentTarget.value, 10);
            const next = Number.isNaN(typed) ? value : clamp(typed);
            event.currentTarget.value = String(next);
            if (next !== value) onChange(next);
          }}
        />
        <button
          type="button"
          class="stepper-button"
          aria-label={moreLabel}
          aria-controls={id}
          disabled={disabled || value >= max}
          onClick={() => onChange(clamp(value + 1))}
        >
          +
        </button>
      </div>
    </div>
  );
}
