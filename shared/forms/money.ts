/** Money as people read it: 1234567 tiyn → "12 345,67" (non-breaking thousands; never rounded, the head checks it by hand). */
export function formatTenge(tiyn: number): string {
  const sign = tiyn < 0 ? '-' : '';
  const abs = Math.abs(tiyn);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${sign}${whole},${String(abs % 100).padStart(2, '0')}`;
}
