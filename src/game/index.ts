/**
 * The listening game's framework-free core (issue 14): pure TypeScript for the browser (views, IndexedDB) and
 * Node (the workshop server of issue 15). Imports only src/core.
 */
export * from './types';
export * from './session';
export * from './questionnaire';
export * from './schedule';
export * from './match';
export * from './scoring';
export * from './merge';
export * from './share';
export * from './export';
export * from './sim';
export * from './sim-populations';
