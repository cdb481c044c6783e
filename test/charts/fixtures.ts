import * as api from '../../src/index';

/** Real results of the analyses on the sample store, built once per test file. */
export function fixtures() {
  const store = api.sampleStore({ customers: 2000, seed: 7 });
  const scored = api.rfm(store.transactions);
  const summary = api.customerSummary(store.transactions);
  const classes = api.abc(summary, { key: 'customer', value: 'monetary' });
  const curve = api.retentionCurve(store.transactions);
  const survey = api.sampleSurvey({ respondents: 600, seed: 3 });
  const model = api.acsiModel(survey.truth.blocks);
  const fit = api.plsPathModel(survey.survey, model, { scale: [1, 10] });
  const choice = api.chooseK(summary, { columns: ['recency', 'frequency', 'monetary'], kRange: [1, 7], seed: 1 });
  const itemsets = api.frequentItemsets(api.baskets(store.basketItems, { transaction: 'transaction', item: 'item' }), {
    minSupport: 0.005,
  });
  const rules = api.associationRules(itemsets, { minConfidence: 0.05 });
  const calibration = api.summaryFromTransactions(store.transactions, { calibrationEnd: '2024-06-30' });
  const clv = api.predictClv(api.fitBgNbd(calibration), api.fitGammaGamma(calibration), calibration, { horizon: 52 });
  const ipma = api.importancePerformance(fit, 'satisfaction');
  const holdout = api.summaryFromTransactions(store.transactions, {
    calibrationEnd: '2024-06-30',
    holdoutEnd: '2024-12-30',
  });
  const bgNbd = api.fitBgNbd(holdout);
  const paretoNbd = api.fitParetoNbd(holdout);
  return {
    store,
    scored,
    summary,
    classes,
    curve,
    survey,
    model,
    fit,
    choice,
    rules,
    clv,
    ipma,
    holdout,
    bgNbd,
    paretoNbd,
  };
}

/** Every chart of clientele/charts, drawn from the fixtures: name → a function that builds the spec. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function chartCatalog(f: ReturnType<typeof fixtures>): Record<string, () => Record<string | symbol, any>> {
  return {
    rfmHeatmap: () => api.rfmHeatmap(f.scored),
    rfmHeatmapRevenue: () => api.rfmHeatmap(f.scored, { color: 'revenue', currency: '€' }),
    rfmSegmentChart: () => api.rfmSegmentChart(api.rfmSummary(f.scored)),
    rfmSegmentChartPerCustomer: () => api.rfmSegmentChart(f.scored),
    paretoChartAbc: () => api.paretoChart(f.classes),
    paretoChartCurve: () => api.paretoChart(api.paretoCurve(f.summary.getChild('monetary')!), { maxPoints: 50 }),
    retentionHeatmap: () => api.retentionHeatmap(f.curve),
    clvHistogram: () => api.clvHistogram(f.clv),
    elbowChart: () => api.elbowChart(f.choice),
    elbowChartScores: () => api.elbowChart(f.choice.scores),
    silhouetteChart: () => api.silhouetteChart(f.choice),
    importancePerformanceChart: () => api.importancePerformanceChart(f.ipma),
    pathDiagram: () => api.pathDiagram(f.fit),
    rulesScatter: () => api.rulesScatter(f.rules),
    rulesGroupedMatrix: () => api.rulesGroupedMatrix(f.rules),
    rulesGraph: () => api.rulesGraph(f.rules),
    frequencyRecencyMatrix: () => api.frequencyRecencyMatrix(f.bgNbd, f.holdout),
    probabilityAliveMatrix: () => api.frequencyRecencyMatrix(f.paretoNbd, f.holdout, { quantity: 'probabilityAlive' }),
    periodTransactionsChart: () => api.periodTransactionsChart(f.bgNbd, f.holdout),
    calibrationHoldoutChart: () => api.calibrationHoldoutChart(f.bgNbd, f.holdout),
  };
}
