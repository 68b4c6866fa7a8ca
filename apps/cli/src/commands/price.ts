import type { InvalidInputError } from '@vixshield/core';
import {
  black76Greeks,
  bsmGreeks,
  emptyGreeks,
  type Greeks,
  type IvResult,
  impliedVolBlack76,
  impliedVolBsm,
} from '@vixshield/core';
import type { Command } from 'commander';
import { z } from 'zod';
import { optionError } from '../errors';
import { forEachArrayItem, writeJsonLinesArray } from '../io';

const finite = (what: string) => z.number({ error: `expected a finite number (${what})` }).finite();
const positive = (what: string) => finite(what).positive({ error: `expected a number > 0 (${what})` });

/** One option case in the layout of shared/testdata/pricing (extra fields pass through untouched). */
const caseSchema = z.looseObject({
  model: z.enum(['bsm', 'black76'], { error: 'expected "bsm" or "black76"' }),
  type: z.enum(['call', 'put'], { error: 'expected "call" or "put"' }),
  S: positive('spot, index points').optional(),
  F: positive('futures price').optional(),
  K: positive('strike'),
  T: finite('years to expiry').nonnegative({ error: 'expected a number >= 0 (years to expiry)' }),
  r: finite('continuously compounded rate, e.g. 0.05'),
  q: finite('continuous dividend yield, e.g. 0.013').optional(),
});

type OptionCase = z.infer<typeof caseSchema>;

function describeIssue(index: number, issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join('.') : '(case)';
  return `case ${index}: field "${field}": ${issue.message}`;
}

type CaseCheck = (c: OptionCase, index: number) => string | undefined;

/** Validates one case; problems go to `problems` (named by case index and field). */
function checkCase(
  item: unknown,
  index: number,
  extra: CaseCheck,
  problems: string[],
): OptionCase | undefined {
  const parsed = caseSchema.safeParse(item);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(describeIssue(index, issue));
    return undefined;
  }
  const c = parsed.data;
  if (c.model === 'bsm' && c.S === undefined)
    problems.push(`case ${index}: field "S": required for model bsm (spot, > 0)`);
  if (c.model === 'bsm' && c.q === undefined)
    problems.push(`case ${index}: field "q": required for model bsm (continuous dividend yield, e.g. 0.013)`);
  if (c.model === 'black76' && c.F === undefined)
    problems.push(`case ${index}: field "F": required for model black76 (futures price, > 0)`);
  const more = extra(c, index);
  if (more) problems.push(more);
  return c;
}

function problemsError(problems: readonly string[], total: number): InvalidInputError {
  const shown = problems.slice(0, 10).join('\n  ');
  const rest = total > 10 ? `\n  ... and ${total - 10} more` : '';
  return optionError(`invalid input, nothing written:\n  ${shown}${rest}`, 'cases');
}

/** Validates every case first; throws one error listing the first problems, so nothing partial is written. */
function parseCases(raw: unknown, extra: CaseCheck): OptionCase[] {
  if (!Array.isArray(raw)) throw optionError('input must be a JSON array of option cases', 'cases');
  const problems: string[] = [];
  const cases: OptionCase[] = [];
  raw.forEach((item, index) => {
    const c = checkCase(item, index, extra, problems);
    if (c) cases.push(c);
  });
  if (problems.length > 0) throw problemsError(problems, problems.length);
  return cases;
}

const sigmaCheck: CaseCheck = (c, index) => {
  const s = c.sigma;
  return typeof s === 'number' && Number.isFinite(s) && s > 0
    ? undefined
    : `case ${index}: field "sigma": expected a volatility > 0 as a decimal (0.2 for 20%), got ${JSON.stringify(s)}`;
};

const priceCheck: CaseCheck = (c, index) => {
  const p = c.price;
  return typeof p === 'number' && Number.isFinite(p)
    ? undefined
    : `case ${index}: field "price": expected the option premium as a finite number, got ${JSON.stringify(p)}`;
};

const scratch = emptyGreeks();

/** One priced case: the input's fields, then the price and the nine Greeks. */
function priceOne(original: Record<string, unknown>, c: OptionCase): Record<string, unknown> & Greeks {
  const isCall = c.type === 'call';
  const sigma = c.sigma as number;
  // The case file's fields are the testdata layout's (S, F, K, T, r, q, sigma); the API's are named.
  const common = { isCall, strike: c.K, yearsToExpiry: c.T, riskFreeRate: c.r, vol: sigma };
  if (c.model === 'bsm') bsmGreeks({ ...common, spot: c.S as number, dividendYield: c.q as number }, scratch);
  else black76Greeks({ ...common, future: c.F as number }, scratch);
  return { ...original, ...scratch };
}

/** One case with its implied vol (null with the reason when there is none). */
function impliedVolOne(
  original: Record<string, unknown>,
  c: OptionCase,
): Record<string, unknown> & { iv: number | null; ivStatus: IvResult['status'] } {
  const isCall = c.type === 'call';
  const price = c.price as number;
  const common = { price, isCall, strike: c.K, yearsToExpiry: c.T, riskFreeRate: c.r };
  const res =
    c.model === 'bsm'
      ? impliedVolBsm({ ...common, spot: c.S as number, dividendYield: c.q as number })
      : impliedVolBlack76({ ...common, future: c.F as number });
  return { ...original, iv: res.iv, ivStatus: res.status };
}

export function priceCases(raw: unknown): Array<Record<string, unknown> & Greeks> {
  const cases = parseCases(raw, sigmaCheck);
  const originals = raw as Array<Record<string, unknown>>;
  return cases.map((c, i) => priceOne(originals[i] as Record<string, unknown>, c));
}

export function impliedVolCases(
  raw: unknown,
): Array<Record<string, unknown> & { iv: number | null; ivStatus: IvResult['status'] }> {
  const cases = parseCases(raw, priceCheck);
  const originals = raw as Array<Record<string, unknown>>;
  return cases.map((c, i) => impliedVolOne(originals[i] as Record<string, unknown>, c));
}

/**
 * Prices a case file of any size in two streaming passes, so memory stays flat in the number of cases:
 * the first validates every case (nothing is written when one is bad), the second computes and writes
 * one compact JSON object per line inside the array.
 */
async function streamCaseFile(
  input: string,
  output: string | undefined,
  check: CaseCheck,
  compute: (original: Record<string, unknown>, c: OptionCase) => Record<string, unknown>,
): Promise<void> {
  const problems: string[] = [];
  let bad = 0;
  await forEachArrayItem(input, (item, index) => {
    const before = problems.length;
    checkCase(item, index, check, problems);
    if (problems.length > before) bad += problems.length - before;
    if (problems.length > 10) problems.length = 10;
  });
  if (bad > 0) throw problemsError(problems, bad);
  await writeJsonLinesArray(output, async (emit) => {
    await forEachArrayItem(input, async (item) => {
      // Validated in the first pass: the case is read as it stands (zod's looseObject returns the same fields).
      await emit(compute(item as Record<string, unknown>, item as OptionCase));
    });
  });
}

export function registerPricing(program: Command): void {
  program
    .command('price')
    .description('price option cases (testdata layout) with BSM or Black-76 and fill in the nine Greeks')
    .requiredOption(
      '--input <file>',
      'JSON array of cases: model bsm|black76, type, S or F, K, T (years), r, q, sigma',
    )
    .option('--output <file>', 'write the result here instead of stdout')
    .action((opts: { input: string; output?: string }) =>
      streamCaseFile(opts.input, opts.output, sigmaCheck, priceOne),
    );
  program
    .command('iv')
    .description('implied volatility of each case with a price; adds iv (number or null) and ivStatus')
    .requiredOption('--input <file>', 'JSON array of cases with price (sigma not needed)')
    .option('--output <file>', 'write the result here instead of stdout')
    .action((opts: { input: string; output?: string }) =>
      streamCaseFile(opts.input, opts.output, priceCheck, impliedVolOne),
    );
}
