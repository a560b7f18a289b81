/** The colour picked on a product page, shared by the picker island and the drawing island. */
import { atom } from "nanostores";

export const $pickedColour = atom<string | undefined>(undefined);
