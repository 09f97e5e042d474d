// Counts in words, for every message that says how many: "1 alert", "3 alerts", "2 changed".

/** `n` and the noun in its number: plural(1, 'rule') is "1 rule", plural(2, 'rule') "2 rules". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
