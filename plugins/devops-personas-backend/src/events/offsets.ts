const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * Why a UTC offset such as `+02:00`, `-0530` or `+99` cannot be: offsets lie
 * within ±14:00 and their minutes below 60. Undefined when it can be.
 */
export function offsetProblem(sign: string, hours: string, minutes = '00'): string | undefined {
  if (Number(minutes) < 60 && Number(hours) * 60 + Number(minutes) <= MAX_OFFSET_MINUTES) {
    return undefined;
  }
  return `has an impossible offset ${sign}${hours}:${minutes}; offsets lie within ±14:00 and their minutes below 60`;
}
