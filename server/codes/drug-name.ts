// How a Table of Drugs and Chemicals name is looked up from a note or a search box: the engine's long-term
// drug codes and the code search both key drugs this way, so "Insulin (amorphous) (globin)" meets "insulin".

/** A drug name as looked up: lower case, parenthesised nonessential words dropped, spaces folded. */
export const drugKey = (name: string) => name.toLowerCase().replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
