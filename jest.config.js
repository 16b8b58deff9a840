/** Jest runs the TypeScript sources as ES modules (the action's packages are ESM-only). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // The end-to-end suites run dist/index.js: rebuild it first when src/ has changed since.
  globalSetup: '<rootDir>/__tests__/support/bundle-setup.mjs',
  // Most suites wait on child processes and sockets, so two workers use both cores well.
  maxWorkers: 2,
  testTimeout: 60000
}
