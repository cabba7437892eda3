/**
 * Fluent Bit's time parsing (flb_strptime, src/flb_parser.c flb_parser_time_lookup), for the directives log formats
 * use: %Y %y %m %d %e %b %h %B %H %M %S %L (fraction, Fluent Bit's own) %z %Z(only "Z", "UTC", "GMT") %s %T %D? and
 * literal text; whitespace in the format matches any whitespace. Like Fluent Bit, text left after the format is
 * ignored, and a format without %z reads the time in UTC shifted by time_offset; an IANA time_zone is applied as its
 * offset on that date (the shop's zones have no daylight saving).
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
export const SUPPORTED = 'YymdebhBHMSLzZsT%';

export interface Parsed {
  /** ms since the epoch, reading the fields as UTC, before any offset. */
  utc: number;
  /** The offset the text carried (%z), in minutes east of UTC, or undefined. */
  offset?: number;
}

/** Directives of a format this grader does not read (reported at load time). */
export function unsupported(fmt: string): string[] {
  return [...fmt.matchAll(/%(.)/g)].map((m) => m[1]!).filter((c) => !SUPPORTED.includes(c));
}

export function strptime(text: string, fmt: string): Parsed | null {
  let i = 0;
  let y = 1970;
  let mo = 0;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let frac = 0;
  let offset: number | undefined;
  let epoch: number | undefined;
  const num = (min: number, max: number) => {
    const m = new RegExp(`^[+-]?\\d{${min},${max}}`).exec(text.slice(i));
    if (!m) return null;
    i += m[0].length;
    return Number(m[0]);
  };
  for (let f = 0; f < fmt.length; f++) {
    const c = fmt[f]!;
    if (c === '%') {
      const dir = fmt[++f];
      let v: number | null;
      switch (dir) {
        case 'Y':
          v = num(4, 4);
          if (v === null) return null;
          y = v;
          break;
        case 'y':
          v = num(2, 2);
          if (v === null) return null;
          y = v < 69 ? 2000 + v : 1900 + v;
          break;
        case 'm':
          v = num(1, 2);
          if (v === null || v < 1 || v > 12) return null;
          mo = v - 1;
          break;
        case 'd':
        case 'e':
          while (text[i] === ' ') i++;
          v = num(1, 2);
          if (v === null || v < 1 || v > 31) return null;
          d = v;
          break;
        case 'H':
          v = num(1, 2);
          if (v === null || v > 23) return null;
          h = v;
          break;
        case 'M':
          v = num(1, 2);
          if (v === null || v > 59) return null;
          mi = v;
          break;
        case 'S':
          v = num(1, 2);
          if (v === null || v > 60) return null;
          s = v;
          break;
        case 'T': {
          const m = /^(\d{1,2}):(\d{1,2}):(\d{1,2})/.exec(text.slice(i));
          if (!m) return null;
          h = +m[1]!;
          mi = +m[2]!;
          s = +m[3]!;
          i += m[0].length;
          break;
        }
        case 'L': {
          const m = /^\d+/.exec(text.slice(i));
          if (!m) return null;
          frac = Number(`0.${m[0]}`);
          i += m[0].length;
          break;
        }
        case 's':
          v = num(1, 12);
          if (v === null) return null;
          epoch = v * 1000;
          break;
        case 'b':
        case 'h':
        case 'B': {
          const rest = text.slice(i).toLowerCase();
          const full = FULL.findIndex((n) => rest.startsWith(n));
          const short = MONTHS.findIndex((n) => rest.startsWith(n));
          if (full >= 0) {
            mo = full;
            i += FULL[full]!.length;
          } else if (short >= 0) {
            mo = short;
            i += 3;
          } else return null;
          break;
        }
        case 'z': {
          const m = /^(Z|[+-]\d{2}:?\d{2})/.exec(text.slice(i));
          if (!m) return null;
          i += m[0].length;
          if (m[0] === 'Z') offset = 0;
          else {
            const sign = m[0][0] === '-' ? -1 : 1;
            const digits = m[0].slice(1).replace(':', '');
            offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
          }
          break;
        }
        case 'Z': {
          const m = /^(Z|UTC|GMT)/.exec(text.slice(i));
          if (!m) return null;
          i += m[0].length;
          offset = 0;
          break;
        }
        case '%':
          if (text[i] !== '%') return null;
          i++;
          break;
        default:
          return null;
      }
    } else if (/\s/.test(c)) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
    } else {
      if (text[i] !== c) return null;
      i++;
    }
  }
  if (epoch !== undefined) return { utc: epoch + Math.round(frac * 1000), offset: 0 };
  const utc = Date.UTC(y, mo, d, h, mi, s) + Math.round(frac * 1000);
  // strptime does not roll a 31st of November over: refuse a date that does not exist.
  const back = new Date(Date.UTC(y, mo, d));
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo) return null;
  return { utc, offset };
}

/** time_offset ("+0900", "-05:30") in minutes, or null when Fluent Bit would refuse it. */
export function parseOffset(v: string): number | null {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(v.trim());
  if (!m) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** IANA zones the grader knows, with their offset in minutes (no daylight saving in these). */
export const ZONES: Record<string, number> = { UTC: 0, 'Etc/UTC': 0, 'Asia/Seoul': 540, 'Asia/Tokyo': 540, 'Asia/Singapore': 480, 'Asia/Kolkata': 330 };
