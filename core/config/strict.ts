// Every settings object refuses keys it does not know: a misspelt setting stops start-up instead of being ignored.
export const strict = { additionalProperties: false } as const;
