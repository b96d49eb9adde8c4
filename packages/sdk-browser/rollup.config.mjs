import { existsSync } from 'node:fs'
import resolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'

const ts = (declarations = false) =>
  typescript({
    tsconfig: './tsconfig.build.json',
    ...(declarations ? {} : { declaration: false, declarationDir: undefined }),
    noEmitOnError: true,
  })

const min = () =>
  terser({
    ecma: 2020,
    module: false,
    compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
    format: { comments: false },
  })

const configs = [
  // (a) The script tag: one self-contained file that configures itself from its tag.
  {
    input: 'src/loader.ts',
    output: { file: 'dist/tenure.js', format: 'iife', sourcemap: true },
    plugins: [resolve(), ts(), min()],
  },
  // (b) The ESM package with its types.
  {
    input: 'src/index.ts',
    output: { dir: 'dist', entryFileNames: 'tenure.esm.js', format: 'es', sourcemap: true },
    plugins: [resolve(), ts(true)],
  },
]

// The nudge UI is its own file next to tenure.js, loaded by script tag only when needed (an IIFE
// cannot code-split). It registers through the snippet queue: window.tenure.push(['use', plugin]).
if (existsSync('src/nudges/index.ts')) {
  configs.push({
    input: 'src/nudges/index.ts',
    output: { file: 'dist/tenure-nudges.js', format: 'iife', sourcemap: true },
    plugins: [resolve(), ts(), min()],
  })
}

export default configs
