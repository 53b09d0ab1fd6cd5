// How hard the property-based tests push. The suite runs a fixed seed and a modest number of runs,
// so a failure there is the same failure on every machine; `npm run fuzz` runs many more inputs
// with a seed of its own and prints it, so whatever it finds can be replayed with HEARTH_FUZZ_SEED.
import fc from 'fast-check';

const scale = Number(process.env.HEARTH_FUZZ_SCALE ?? '1');
const seedGiven = process.env.HEARTH_FUZZ_SEED;
/** The seed: fixed in the suite, given or random in `npm run fuzz`. */
export const FUZZ_SEED = seedGiven ? Number(seedGiven) : scale > 1 ? Math.floor(Math.random() * 2 ** 31) : 20_260_301;
if (scale > 1) process.stderr.write(`fuzz: seed ${FUZZ_SEED}, ${scale}x the suite's runs (replay with HEARTH_FUZZ_SEED=${FUZZ_SEED})\n`);

/** Parameters for fc.assert with `runs` inputs in the suite, scaled up by HEARTH_FUZZ_SCALE. */
export function fuzzParameters<T>(runs: number): fc.Parameters<T> {
  return {
    seed: FUZZ_SEED,
    numRuns: Math.max(1, Math.round(runs * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    endOnFailure: true,
    includeErrorInReport: true,
  };
}

/** Text that leans on what breaks parsers and sanitizers: markup, entities, schemes, controls, astral characters. */
export const hostileText = (maxLength = 200): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
        {
          weight: 3,
          arbitrary: fc.constantFrom(
            '<script>alert(1)</script>',
            '<img src=x onerror=alert(1)>',
            '<a href="javascript:alert(1)">x</a>',
            'javascript:alert(1)',
            '[x](javascript:alert(1))',
            '![x](data:text/html;base64,PHNjcmlwdD4=)',
            '<svg onload=alert(1)>',
            '<iframe src=//evil>',
            '<style>*{}</style>',
            '"><b onmouseover=x>',
            '&lt;script&gt;',
            '&#x6a;avascript:',
            ']]>',
            '<![CDATA[',
            '<!--',
            '-->',
            '`',
            '```',
            '\n',
            '\n\n',
            '> ',
            '* ',
            '1. ',
            '[^1]',
            '[^1]: note',
            '| a | b |\n|---|---|',
            '\u0000',
            '\u202e',
            '\ufeff',
            '\ud83d\ude00',
            '\ud800',
            'https://example.com/?a=1&b=<2>',
            'www.example.com',
            '@',
            '#',
            '&',
            '<',
            '>',
            '"',
            "'",
          ),
        },
      ),
      { maxLength: 24 },
    )
    .map((parts) => parts.join('').slice(0, maxLength));
