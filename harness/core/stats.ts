// The figure a record reports over several runs: the median (the lower of
// the two middle values for an even count, so it is always a measured value).
export const median = (xs: number[]): number | null => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1]! : null;
};
