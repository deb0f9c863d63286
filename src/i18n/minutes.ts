/** Whole minutes of `seconds` (at least one), with the unit's singular or plural: `3 Minuten`, `1 minute`. */
export function minutes(seconds: number, one: string, many: string): string {
  const count = Math.max(1, Math.round(seconds / 60));
  return `${count} ${count === 1 ? one : many}`;
}
