// The bench's table: each row with its floor (measured in the same run), the ratio and the
// issue's target for it.
import { median } from './measure.js';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  floor?: number;
  /** Median of the per-round ratios (value ÷ floor), so drift between rounds cancels out. */
  ratio?: number;
  target?: string;
  meets?: boolean;
}

export const figures: Figure[] = [];

export function record(f: Figure): void {
  figures.push(f);
  const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));
  const floor = f.floor === undefined ? '' : `  floor ${num(f.floor)}`;
  const ratio = f.ratio === undefined ? '' : `  ratio ${f.ratio.toFixed(2)}`;
  const target = f.target ? `  target ${f.target}: ${f.meets ? 'met' : 'MISSED'}` : '';
  console.log(`${f.name.padEnd(58)} ${num(f.value).padStart(8)} ${f.unit}${floor}${ratio}${target}`);
}

/** A row from interleaved runs: medians of each side and the median of the per-round ratios. */
export function compare(
  name: string,
  unit: string,
  sigsock: number[],
  floor: number[],
  target?: { text: string; test: (ratio: number) => boolean },
): Figure {
  const ratios = sigsock.map((v, i) => v / floor[i]!);
  const ratio = median(ratios);
  const figure: Figure = { name, unit, value: median(sigsock), floor: median(floor), ratio, target: target?.text, meets: target?.test(ratio) };
  record(figure);
  return figure;
}
