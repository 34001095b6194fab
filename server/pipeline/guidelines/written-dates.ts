// Dates as notes write them: "4/2024", "08/17/2026", "3/2/19", or a bare year "2019". Read by the rules that ask
// when something happened against the date of service (an old MI, a device placed during the stay). Written by hand:
// US notes write month/day/year, which a locale-free parser would not know.

/** m/yyyy, m/d/yyyy, m/d/yy, or a year. */
const DATE = /\b(?:(\d{1,2})\/(?:(\d{1,2})\/)?((?:19|20)?\d\d)|((?:19|20)\d\d))\b/g;

export interface WrittenDate {
  year: number;
  /** 1–12; absent for a bare year. */
  month?: number;
  /** Absent for "4/2024" and a bare year. */
  day?: number;
}

/** Every date the text writes, in order; a month outside 1–12 is no date. */
export function writtenDates(text: string): WrittenDate[] {
  const out: WrittenDate[] = [];
  for (const m of text.matchAll(DATE)) {
    if (m[4]) {
      out.push({ year: Number(m[4]) });
      continue;
    }
    const month = Number(m[1]);
    if (month < 1 || month > 12) continue;
    const year = Number(m[3]!.length === 2 ? `20${m[3]}` : m[3]);
    out.push(m[2] ? { year, month, day: Number(m[2]) } : { year, month });
  }
  return out;
}
