import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers (../shared/DESIGN.md): front-ends (cli/, socket/) → messenger/ → signal/, store/ →
// libsignal; util/ and proto/ are leaves anyone may use. An import against the arrows fails `npm test`.
// `\x2F` is '/': esquery's regex literals (for import() below) cannot contain a slash.
const layer = (names) => `^(\\.\\.\\x2F)+(${names.join('|')})(\\x2F|$)`;
const forbid = (names, why) => ({ regex: layer(names), message: why });
const MOCK_SERVER = { name: '@signalapp/mock-server', message: 'only sandbox/ loads the mock server: production installs never run it' };
const restrict = (patterns, paths = [MOCK_SERVER]) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
  // no-restricted-imports does not look at import(): the same layers for dynamic imports.
  'no-restricted-syntax': [
    'error',
    ...patterns.map((p) => ({ selector: `ImportExpression[source.value=/${p.regex}/]`, message: p.message })),
    ...paths.map((p) => ({ selector: `ImportExpression[source.value='${p.name}']`, message: p.message })),
  ],
});

const FRONT_ENDS_AND_SANDBOX = ['cli', 'socket', 'jsonrpc', 'sandbox'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/signal/**/*.ts'],
    rules: restrict([forbid(['store', 'messenger', ...FRONT_ENDS_AND_SANDBOX], 'signal/ talks to Signal servers only: it never imports store/ or anything above it')]),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: restrict([forbid(['signal', 'messenger', ...FRONT_ENDS_AND_SANDBOX], 'store/ keeps the data only: it never imports signal/ or anything above it')]),
  },
  {
    files: ['src/messenger/**/*.ts'],
    rules: restrict([forbid(FRONT_ENDS_AND_SANDBOX, 'the engine serves every front-end: messenger/ never imports cli/, socket/ or the sandbox')]),
  },
  {
    files: ['src/socket/**/*.ts'],
    rules: restrict([forbid(['store', 'signal', 'cli', 'sandbox'], 'socket/ is a front-end: it reaches store/ and signal/ only through messenger/ (and never cli/ or the sandbox)')]),
  },
  {
    files: ['src/jsonrpc/**/*.ts'],
    rules: restrict([forbid(['store', 'signal', 'cli', 'socket', 'sandbox'], 'jsonrpc/ is a front-end: it reaches store/ and signal/ only through messenger/ (and never cli/, socket/ or the sandbox)')]),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrict([forbid(['store', 'signal'], 'cli/ is a front-end: it reaches store/ and signal/ only through messenger/')]),
  },
  {
    files: ['src/util/**/*.ts', 'src/proto/**/*.ts'],
    rules: restrict([forbid(['signal', 'store', 'messenger', ...FRONT_ENDS_AND_SANDBOX], 'util/ and proto/ are leaves: they import no layer')]),
  },
  {
    // Tests read protocol answers as loose JSON.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
