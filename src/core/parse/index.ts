/** Parsers and validators of every interchange format in FORMATS.md. */
export { readTable, detectDelimiter, stripBom, parseNumberCell, type Table, type ReadTableOptions } from './csv';
export { parseFeatures, featureSetFromJson, featureSetToCsv, featureSetToJson, csvCell } from './features';
export { parseJudgments, ACCEPTED_JUDGMENT_HEADERS, type ParseJudgmentsOptions } from './judgments';
export { parseUsers, joinUsers, type JoinedJudgmentSet, type UserJoinReport } from './users';
export { parseNumericMatrix, parsePairConstraints, formatMatrixCsv } from './reference';
