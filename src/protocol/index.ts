export * from './limits.js';
export * from './errors.js';
export * from './messages.js';
export * from './parse.js';
export * from './cobrowse.js';
export * from './text.js';
