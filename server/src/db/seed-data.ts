/** The demo shops: the CochlearFit headband store (sale) and the Cover Me Pretty rental shop. */
import type { SeedShop, SeedVariant } from "./seed.ts";

/**
 * Every colour × size combination of one product at one price, so a size/colour picker never meets a gap.
 * `stock` maps each colour to its on-hand counts in the order of `sizes`.
 */
function grid(
  unitAmount: number,
  sizes: readonly string[],
  stock: Readonly<Record<string, readonly number[]>>,
  depositAmount?: number,
): SeedVariant[] {
  return Object.entries(stock).flatMap(([color, counts]) => {
    if (counts.length !== sizes.length) {
      throw new Error(`seed-data: colour ${color} lists ${counts.length} stock counts for ${sizes.length} sizes`);
    }
    return sizes.map((size, index) => ({
      attributes: { color, size },
      unitAmount,
      ...(depositAmount === undefined ? {} : { depositAmount }),
      stock: counts[index] ?? 0,
    }));
  });
}

export const seedShops: SeedShop[] = [
  {
    id: "cochlearfit",
    name: "CochlearFit",
    currency: "eur",
    mode: "sale",
    siteUrl: "http://localhost:4321",
    allowedOrigins: ["http://localhost:4321", "http://127.0.0.1:4321"],
    // One of each kind, one whose window has ended and one not yet open.
    coupons: [
      { code: "WELCOME10", kind: "percent", value: 10 },
      { code: "FIVEOFF", kind: "amount", value: 500 },
      {
        code: "SUMMER2025",
        kind: "percent",
        value: 20,
        activeFrom: "2025-06-01T00:00:00Z",
        activeUntil: "2025-09-01T00:00:00Z",
      },
      { code: "NEXTYEAR", kind: "percent", value: 15, activeFrom: "2099-01-01T00:00:00Z" },
    ],
    products: [
      {
        sku: "cf-headband-classic",
        slug: "classic",
        title: { en: "Classic Headband", de: "Stirnband Classic" },
        description: {
          en: "Our everyday favourite for children and adults: a soft, breathable band of cotton and elastane with a small stretch pocket on each side that holds a cochlear-implant or hearing-aid sound processor snugly against the head. A silicone grip strip along the inside keeps the band where you put it, through playground runs and long school days. Sizes S, M and L fit head circumferences of roughly 47–52, 52–56 and 56–60 cm. Take the processor out, then machine wash at 30 °C and let it dry flat.",
          de: "Unser Liebling für jeden Tag, für Kinder und Erwachsene: ein weiches, atmungsaktives Band aus Baumwolle und Elasthan mit einer kleinen Stretchtasche auf jeder Seite, die den Soundprozessor eines Cochlea-Implantats oder ein Hörgerät sicher am Kopf hält. Ein Silikon-Griffband auf der Innenseite sorgt dafür, dass das Band dort bleibt, wo du es hingesetzt hast – beim Toben auf dem Spielplatz genauso wie an langen Schultagen. Die Größen S, M und L passen zu einem Kopfumfang von etwa 47–52, 52–56 und 56–60 cm. Nimm den Prozessor heraus, wasche das Band bei 30 °C in der Maschine und lass es liegend trocknen.",
        },
        variants: grid(2900, ["s", "m", "l"], {
          black: [9, 12, 7],
          navy: [8, 10, 6],
          rose: [5, 4, 0],
          grey: [6, 9, 5],
        }),
      },
      {
        sku: "cf-headband-kids",
        slug: "kids",
        title: { en: "Kids Headband", de: "Kinderstirnband" },
        description: {
          en: "Made for little heads that never sit still: a lighter cotton-and-elastane band in cheerful colours, with a soft pocket on each side that cradles the sound processor and a silicone grip strip that stops it sliding during play. Size XS fits toddlers (about 42–47 cm head circumference), S and M suit pre-school and school children. The flat seams sit comfortably under a hat or bike helmet. Machine wash at 30 °C with the processor removed.",
          de: "Gemacht für kleine Köpfe, die nie stillhalten: ein leichteres Band aus Baumwolle und Elasthan in fröhlichen Farben, mit einer weichen Tasche auf jeder Seite, die den Soundprozessor umschließt, und einem Silikon-Griffband, damit beim Spielen nichts verrutscht. Größe XS passt für Kleinkinder (etwa 42–47 cm Kopfumfang), S und M für Kindergarten- und Schulkinder. Die flachen Nähte tragen auch unter Mütze oder Fahrradhelm nicht auf. Bei 30 °C in der Maschine waschen, vorher den Prozessor herausnehmen.",
        },
        variants: grid(2400, ["xs", "s", "m"], {
          sky: [14, 18, 11],
          mint: [12, 16, 9],
          coral: [10, 13, 8],
          yellow: [7, 9, 4],
        }),
      },
      {
        sku: "cf-headband-sport",
        slug: "sport",
        title: { en: "Sport Headband", de: "Sportstirnband" },
        description: {
          en: "A wider band for football, gymnastics, running and the gym, knitted from a quick-drying, breathable cotton-elastane blend that wicks sweat away from the processor. Two deeper pockets hold the sound processors firmly, and a double silicone grip strip keeps everything in place when you jump, turn and head the ball. Choose from S to XL (about 47–64 cm head circumference). Machine wash at 30 °C after training and air dry; please skip the tumble dryer.",
          de: "Ein breiteres Band für Fußball, Turnen, Laufen und das Fitnessstudio, gestrickt aus einer schnell trocknenden, atmungsaktiven Mischung aus Baumwolle und Elasthan, die Schweiß vom Prozessor wegleitet. Zwei tiefere Taschen halten die Soundprozessoren fest, und ein doppeltes Silikon-Griffband sorgt dafür, dass alles an seinem Platz bleibt, wenn du springst, dich drehst oder köpfst. Erhältlich von S bis XL (etwa 47–64 cm Kopfumfang). Nach dem Training bei 30 °C in der Maschine waschen und an der Luft trocknen lassen, bitte nicht in den Trockner.",
        },
        variants: grid(3400, ["s", "m", "l", "xl"], {
          black: [10, 22, 18, 8],
          grey: [7, 15, 12, 5],
          lime: [6, 11, 8, 3],
        }),
      },
      {
        sku: "cf-headband-bilateral",
        slug: "bilateral",
        title: { en: "Bilateral Headband", de: "Stirnband Bilateral" },
        description: {
          en: "Designed for anyone wearing two processors: two sound processors, two implants or hearing aids on both sides. The mirrored pockets sit exactly over each ear so both processors are held evenly, and the silicone grip strip runs the full length of the band so neither side pulls. The soft cotton-elastane fabric breathes and stays comfortable from morning to bedtime. Machine wash at 30 °C and dry flat to keep its shape.",
          de: "Entwickelt für alle, die zwei Prozessoren tragen: zwei Soundprozessoren, zwei Implantate oder Hörgeräte auf beiden Seiten. Die spiegelgleichen Taschen sitzen genau über jedem Ohr, sodass beide Prozessoren gleichmäßig gehalten werden, und das Silikon-Griffband läuft über die ganze Länge des Bandes, damit keine Seite zieht. Der weiche Stoff aus Baumwolle und Elasthan ist atmungsaktiv und bleibt vom Morgen bis zum Schlafengehen angenehm. Bei 30 °C in der Maschine waschen und liegend trocknen, damit es seine Form behält.",
        },
        variants: grid(3200, ["s", "m", "l"], {
          black: [8, 14, 10],
          navy: [6, 11, 7],
          sand: [4, 8, 5],
        }),
      },
      {
        sku: "cf-headband-slim",
        slug: "slim",
        title: { en: "Slim Everyday Headband", de: "Stirnband Slim" },
        description: {
          en: "A narrow, understated band for grown-ups and teens who want their processor secure without a wide strip of fabric. It sits neatly under or over the hair, holds the processor in a discreet side pocket and stays put thanks to a thin silicone grip strip. The fine cotton-elastane jersey feels soft on the skin and works for the office, the train and the evening out. Machine wash at 30 °C.",
          de: "Ein schmales, dezentes Band für Erwachsene und Jugendliche, die ihren Prozessor sicher tragen möchten, ohne einen breiten Stoffstreifen. Es liegt unauffällig unter oder über den Haaren, hält den Prozessor in einer unscheinbaren Seitentasche und bleibt dank eines dünnen Silikon-Griffbands an seinem Platz. Der feine Jersey aus Baumwolle und Elasthan fühlt sich weich auf der Haut an und passt ins Büro, in den Zug und zum Abendessen. Bei 30 °C in der Maschine waschen.",
        },
        variants: grid(2600, ["s", "m", "l"], {
          black: [7, 16, 11],
          sand: [5, 12, 8],
          grey: [4, 10, 6],
        }),
      },
    ],
  },
  {
    id: "cover-me-pretty",
    name: "Cover Me Pretty",
    currency: "eur",
    mode: "rental",
    siteUrl: "http://localhost:4322",
    allowedOrigins: ["http://localhost:4322"],
    coupons: [{ code: "PARTY15", kind: "percent", value: 15 }],
    products: [
      {
        sku: "cmp-sleeve-sparkle",
        slug: "sparkle-sleeves",
        title: { en: "Sparkle Processor Sleeves", de: "Glitzer-Prozessorhüllen" },
        description: {
          en: "A pair of reusable, stretchy silicone sleeves with fine glitter set into the material, so a sound processor or hearing aid can dress up for a birthday, a school play or a wedding. They slip over the processor housing and come off again without leaving any residue. Every pair is cleaned and checked before it goes out; tell us your processor model when you book and we will confirm the fit.",
          de: "Ein Paar wiederverwendbare, dehnbare Silikonhüllen mit feinem, eingearbeitetem Glitzer – damit sich Soundprozessor oder Hörgerät für Geburtstag, Schulaufführung oder Hochzeit schick machen können. Sie werden über das Prozessorgehäuse gezogen und lassen sich ohne Rückstände wieder abnehmen. Jedes Paar wird vor dem Versand gereinigt und geprüft; nenne uns bei der Buchung dein Prozessormodell, dann bestätigen wir dir die Passform.",
        },
        variants: [
          { attributes: { color: "gold" }, unitAmount: 900, depositAmount: 2500, stock: 6 },
          { attributes: { color: "silver" }, unitAmount: 900, depositAmount: 2500, stock: 8 },
          { attributes: { color: "rose-gold" }, unitAmount: 900, depositAmount: 2500, stock: 4 },
        ],
      },
      {
        sku: "cmp-coil-cover",
        slug: "coil-covers",
        title: { en: "Coil Covers", de: "Spulen-Cover" },
        description: {
          en: "Decorative covers that clip over the round coil of a cochlear implant so the headpiece matches the outfit. The soft fabric top is stitched onto a thin, flexible rim that clips around the edge of the coil, so nothing covers the side that rests against the head. Each cover is cleaned and checked between rentals and arrives in a small protective box.",
          de: "Dekorative Cover, die über die runde Spule eines Cochlea-Implantats geklipst werden, damit die Sendespule zum Outfit passt. Das weiche Stoffoberteil ist auf einen dünnen, flexiblen Rand genäht, der sich um die Kante der Spule klipst, sodass die Seite, die am Kopf anliegt, frei bleibt. Jedes Cover wird zwischen den Vermietungen gereinigt und geprüft und kommt in einer kleinen Schutzbox zu dir.",
        },
        variants: [
          { attributes: { color: "white" }, unitAmount: 800, depositAmount: 2500, stock: 7 },
          { attributes: { color: "gold" }, unitAmount: 800, depositAmount: 2500, stock: 5 },
          { attributes: { color: "black" }, unitAmount: 800, depositAmount: 2500, stock: 6 },
        ],
      },
      {
        sku: "cmp-charm-crystal",
        slug: "crystal-charms",
        title: { en: "Crystal Processor Charms", de: "Kristall-Anhänger für Prozessoren" },
        description: {
          en: "A set of small crystal charms that clip onto the earhook of a sound processor or hearing aid, or onto the coil cable, for a touch of sparkle on a special day. The clips are lined with soft silicone so they hold without scratching the device. The set comes with a spare clip and is cleaned and checked after every rental.",
          de: "Ein Set kleiner Kristallanhänger, die an den Ohrhaken eines Soundprozessors oder Hörgeräts oder an das Spulenkabel geklipst werden – für ein bisschen Funkeln an einem besonderen Tag. Die Klammern sind mit weichem Silikon ausgekleidet, damit sie halten, ohne das Gerät zu zerkratzen. Zum Set gehört eine Ersatzklammer, und nach jeder Vermietung wird es gereinigt und geprüft.",
        },
        variants: [
          { attributes: { color: "silver" }, unitAmount: 700, depositAmount: 2000, stock: 10 },
          { attributes: { color: "gold" }, unitAmount: 700, depositAmount: 2000, stock: 8 },
        ],
      },
      {
        sku: "cmp-headband-satin",
        slug: "satin-headband",
        title: { en: "Satin Occasion Headband", de: "Satin-Stirnband für besondere Anlässe" },
        description: {
          en: "An elegant satin headband for weddings, christenings, first communions and school balls, with a hidden stretch pocket on each side that holds the sound processors securely. Underneath the satin, a soft cotton lining and a silicone grip strip keep it comfortable and in place all evening. Sizes S, M and L fit head circumferences of roughly 47–52, 52–56 and 56–60 cm. We clean it professionally after every rental, so you simply send it back.",
          de: "Ein elegantes Satin-Stirnband für Hochzeiten, Taufen, Erstkommunion und Abschlussball, mit einer versteckten Stretchtasche auf jeder Seite, die die Soundprozessoren sicher hält. Unter dem Satin sorgen ein weiches Baumwollfutter und ein Silikon-Griffband dafür, dass es den ganzen Abend bequem sitzt und nicht verrutscht. Die Größen S, M und L passen zu einem Kopfumfang von etwa 47–52, 52–56 und 56–60 cm. Nach jeder Vermietung reinigen wir es professionell – du schickst es einfach zurück.",
        },
        variants: grid(
          1500,
          ["s", "m", "l"],
          {
            ivory: [3, 4, 3],
            navy: [2, 4, 2],
            blush: [3, 3, 2],
          },
          4000,
        ),
      },
    ],
  },
];
