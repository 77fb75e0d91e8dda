/**
 * Compile-time check that a zod schema and the interface it validates describe the same type, both ways:
 *   sameType<Same<z.infer<typeof ZQuote>, TQuote>>();   // a type error the day they drift apart
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const sameType = <_T extends true>(): void => {};
