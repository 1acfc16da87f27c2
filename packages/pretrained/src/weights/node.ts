// Node built-ins, imported on first use so that the package entry still loads in a browser.
// The comments tell webpack and Vite to leave these imports alone instead of polyfilling them.
export const nodePath = () => import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:path');
export const nodeUrl = () => import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:url');
export const nodeModule = () => import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:module');
