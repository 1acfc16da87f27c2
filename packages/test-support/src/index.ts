export { setTestBackend, type TestBackend } from './backend';
export { expectClose, maxRelativeError, type CloseOptions, type Numeric } from './close';
export { expectNoLeak, expectFlatMemory } from './leaks';
export { loadFixture } from './fixtures';
export { diskFull } from './disk-full';
