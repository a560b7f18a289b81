/**
 * The product page's buy box: live price and stock, colour and size radio groups, quantity and
 * add-to-cart. Rendered at build time from the seed catalog, then refreshed from the server.
 */
import type { CatalogProduct } from "@commerce/contracts/v1";
import { useEffect, useRef, useState } from "preact/hooks";
import { type Notice, NoticeBox } from "../components/NoticeBox.tsx";
import { QuantityStepper } from "../components/QuantityStepper.tsx";
import { errorMessage } from "../i18n/errors.ts";
import { formatMoney, type Locale, type Messages, translatorFrom } from "../i18n/format.ts";
import { commerce } from "../lib/commerce.ts";
import { $pickedColour } from "../lib/pick.ts";
import {
  attributesOf,
  colourKey,
  coloursOf,
  sizeLabel,
  sizeRange,
  sizesOf,
  swatch,
  type Variant,
  variantText,
} from "../lib/variants.ts";

interface Props {
  locale: Locale;
  sku: string;
  title: string;
  currency: string;
  variants: Variant[];
  initial: { color: string; size: string };
  cartPath: string;
  messages: Messages;
}

export default function ProductPicker(props: Props) {
  const { locale, sku, title, currency, cartPath } = props;
  const tr = translatorFrom(props.messages);
  const [variants, setVariants] = useState(props.variants);
  const [colour, setColour] = useState(props.initial.color);
  const [size, setSize] = useState(props.initial.size);
  const [quantity, setQuantity] = useState(1);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(undefined);
  const noticeRef = useRef<HTMLDivElement>(null);

  // Live prices and stock replace the build-time figures.
  useEffect(() => {
    commerce
      .catalog(locale)
      .then((catalog) => {
        const live = catalog.products.find((p) => p.sku === sku);
        if (live) setVariants(liveVariants(live));
      })
      .catch(() => undefined); // the build-time figures stay; checkout reprices anyway
  }, [locale, sku]);

  useEffect(() => $pickedColour.set(colour), [colour]);

  const variant = variants.find((v) => v.attributes.color === colour && v.attributes.size === size);
  const available = variant?.available ?? 0;
  const soldOut = available <= 0;
  const wanted = Math.max(1, Math.min(quantity, Math.max(available, 1), 99));
  const idFor = (part: string) => `${sku}-${part}`;

  function nameItem(itemSku: string, key: string): string {
    return itemSku === sku ? `${title} (${variantText(tr, attributesOf(key))})` : title;
  }

  async function add(event: Event) {
    event.preventDefault();
    if (!variant || soldOut || busy) return;
    setBusy(true);
    setNotice(undefined);
    const item = `${title} (${variantText(tr, variant.attributes)}) × ${wanted}`;
    try {
      await commerce.addItem({ sku, attributes: { ...variant.attributes } }, wanted);
      setNotice({ kind: "ok", text: tr("product.added", { item }) });
    } catch (error) {
      setNotice({ kind: "error", text: errorMessage(tr, error, nameItem) });
    } finally {
      setBusy(false);
      requestAnimationFrame(() => noticeRef.current?.focus());
    }
  }

  return (
    <form class="buy-box" onSubmit={add} aria-busy={busy}>
      <p class="price" data-testid="price">
        <span class="visually-hidden">{tr("product.price")}: </span>
        {variant ? formatMoney(locale, variant.unitAmount, currency) : "–"}
      </p>

      <fieldset class="choice-group">
        <legend>
          {tr("product.colour")}: <strong>{tr(colourKey(colour))}</strong>
        </legend>
        <div class="choices">
          {coloursOf({ variants }).map((c) => (
            <label class="choice choice-colour" key={c}>
              <input
                type="radio"
                name={idFor("colour")}
                value={c}
                checked={c === colour}
                onChange={() => setColour(c)}
              />
              <span class="swatch" style={{ background: swatch(c).band }} aria-hidden="true" />
              <span>{tr(colourKey(c))}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset class="choice-group">
        <legend>{tr("product.size")}</legend>
        <div class="choices">
          {sizesOf({ variants }).map((s) => {
            const option = variants.find((v) => v.attributes.color === colour && v.attributes.size === s);
            const out = !option || option.available <= 0;
            const hint = idFor(`size-${s}-hint`);
            return (
              <label class={`choice choice-size${out ? " is-out" : ""}`} key={s}>
                <input
                  type="radio"
                  name={idFor("size")}
                  value={s}
                  checked={s === size}
                  onChange={() => setSize(s)}
                  aria-label={sizeLabel(s)}
                  aria-describedby={hint}
                />
                <span class="choice-size-label" aria-hidden="true">
                  {sizeLabel(s)}
                </span>
                <small id={hint}>
                  {tr("product.cm", { range: sizeRange[s] ?? "" })}
                  {out ? `, ${tr("product.soldOut")}` : ""}
                </small>
              </label>
            );
          })}
        </div>
      </fieldset>

      <p class={`stock${soldOut ? " is-out" : ""}`} data-testid="availability">
        {soldOut
          ? tr("product.soldOut")
          : available <= 5
            ? tr("product.fewLeft", { n: available })
            : tr("product.inStock")}
      </p>

      <div class="buy-row">
        <QuantityStepper
          id={idFor("quantity")}
          label={tr("product.quantity")}
          lessLabel={tr("product.decrease")}
          moreLabel={tr("product.increase")}
          value={wanted}
          max={Math.max(1, Math.min(available, 99))}
          disabled={soldOut || busy}
          onChange={setQuantity}
        />
        <button type="submit" class="button button-primary" data-testid="add-to-cart" disabled={soldOut || busy}>
          {soldOut ? tr("product.soldOut") : busy ? tr("product.adding") : tr("product.add")}
        </button>
      </div>

      <NoticeBox notice={notice} noticeRef={noticeRef}>
        {notice?.kind === "ok" && (
          <>
            {" "}
            <a href={cartPath}>{tr("product.viewCart")}</a>
          </>
        )}
      </NoticeBox>
    </form>
  );
}

function liveVariants(product: CatalogProduct): Variant[] {
  return product.variants.map((v) => ({
    variantKey: v.variantKey,
    attributes: { color: v.attributes.color ?? "", size: v.attributes.size ?? "" },
    unitAmount: v.unitAmount,
    available: v.available,
  }));
}
