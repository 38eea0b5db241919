/** The one image type of every task's observations (GeneralPoints cards, V-IRL street views): what image encoders read. */
export interface RgbImage {
  width: number;
  height: number;
  /** width · height · 3 bytes, row-major, RGB. */
  data: Uint8Array;
}
