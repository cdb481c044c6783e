import { makeVector, Table } from 'apache-arrow';
import type { Int32, Vector } from 'apache-arrow';
import { randomSource } from '../math/internal';
import { ClienteleError, deepFreeze, describeValue, knownOptions, optionNames } from '../table/internal';
import { acsiTruth, answerSurvey, SURVEY_INDICATORS } from './sample-store';
import type { AcsiIndicator, SampleStoreTruth } from './sample-store';

/** Options of {@link sampleSurvey}. */
export interface SampleSurveyOptions {
  /** Number of respondents. Default 1000. */
  respondents?: number;
  /** Seed of the answers. Default 42. */
  seed?: number;
}

/** Column types of {@link sampleSurvey}'s table: a respondent number and the 14 ACSI items. */
export type SampleSurveyOnlySchema = { respondent: Int32 } & { [K in AcsiIndicator]: Int32 };

/** What {@link sampleSurvey} returns; frozen. */
export interface SampleSurvey {
  readonly survey: Table<SampleSurveyOnlySchema>;
  /** The generating model: paths, residual variances, loadings, item means and scale. */
  readonly truth: Omit<SampleStoreTruth['acsi'], 'surveyShare'>;
}

/** The options sampleSurvey takes; every other name is refused with a did-you-mean. */
const SAMPLE_SURVEY_OPTION_NAMES = optionNames<SampleSurveyOptions>({ respondents: true, seed: true });

/**
 * A stand-alone ACSI survey of any size, drawn from the same structural model as `sampleStore().survey`: for
 * benchmarks and for checking that a path model recovers known paths.
 *
 * Standardised latent variables follow the ACSI paths (Fornell et al. 1996) with the coefficients in
 * `truth.paths`; item = round(clamp(mean + 1.5 · (λ·η + ε), 1, 10)) with ε ~ N(0, 1 − λ²), so answers are
 * integers on a 1–10 scale. Columns: `respondent` (1…n), `exp1-3`, `qual1-3`, `val1-2`, `sat1-3`, `comp1`, `loy1-2`.
 *
 * Cost: O(respondents · 14); a million respondents take about a second.
 *
 * @param options `respondents` (1000), `seed` (42)
 * @throws {ClienteleError} `INVALID_OPTION` for a respondent count outside 1 … 50,000,000 or a non-finite seed
 * @example
 * const { survey, truth } = sampleSurvey({ respondents: 500, seed: 3 });
 * survey.numRows; // 500
 * truth.paths.length; // 9
 * truth.blocks.value; // ['val1', 'val2']
 */
export function sampleSurvey(options: SampleSurveyOptions = {}): SampleSurvey {
  options = knownOptions(options, SAMPLE_SURVEY_OPTION_NAMES, 'sampleSurvey');
  const respondents = options.respondents ?? 1000;
  const seed = options.seed ?? 42;
  if (
    typeof respondents !== 'number' ||
    !Number.isInteger(respondents) ||
    respondents < 1 ||
    respondents > 50_000_000
  ) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `sampleSurvey: option respondents must be an integer from 1 to 50,000,000 (found ${describeValue(respondents)}); pass e.g. respondents: 1000`,
    );
  }
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `sampleSurvey: option seed must be a finite number (found ${describeValue(seed)}); pass e.g. seed: 42`,
    );
  }
  const answers = answerSurvey(randomSource(seed), respondents);
  const respondent = new Int32Array(respondents);
  for (let i = 0; i < respondents; i++) respondent[i] = i + 1;
  const columns: Record<string, Vector> = { respondent: makeVector(respondent) };
  SURVEY_INDICATORS.forEach((name, j) => (columns[name] = makeVector(answers[j])));
  const survey = new Table(columns) as unknown as Table<SampleSurveyOnlySchema>;
  return Object.freeze({ survey, truth: deepFreeze(acsiTruth()) });
}
