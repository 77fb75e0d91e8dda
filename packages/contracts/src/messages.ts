import type { z } from 'zod';

/**
 * The `error` option of a field's type check, shared by every schema that crosses a boundary: an absent
 * field reads "required" (or `required`), a present value of the wrong type reads `message`. Without it a
 * custom type message such as "must be an integer" is also what a caller who left the field out is told.
 *
 *   horizon: z.number(typeError('must be an integer')).int('must be an integer')
 *   → {} gives "horizon: required", {horizon: "x"} gives "horizon: must be an integer"
 */
export function typeError(message: string, required = 'required') {
  return {
    error: (issue: z.core.$ZodRawIssue) => (issue.input === undefined ? required : message),
  };
}
