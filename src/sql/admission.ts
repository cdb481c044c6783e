import { abcRules, basketRules, customerRules, retentionRules } from './admission-rules';
import { clvAdmissionRules } from './clv-sql';
import type { AdmissionRule } from './drop-counts';
import type { SqlAnalysis, SqlContext } from './options';

/**
 * The admission rules of each analysis in SQL, in the order its in-process twin checks them, so that `runSql` can
 * count the rows it drops (`undefined`: the analysis does not count them yet).
 */
export function admissionRules(analysis: SqlAnalysis, ctx: SqlContext): readonly AdmissionRule[] | undefined {
  switch (analysis) {
    case 'customerSummary':
    case 'rfm':
      return customerRules(ctx);
    case 'abc':
      return abcRules(ctx);
    case 'retentionCurve':
      return retentionRules(ctx);
    case 'basketPairs':
      return basketRules(ctx);
    case 'clvSummary':
    case 'clvPatterns':
    case 'spendPatterns':
    case 'clvScores':
      return clvAdmissionRules(ctx);
    default:
      return undefined;
  }
}
