import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { fileURLToPath, URL } from 'node:url'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

/** Write `x.gz` beside every compressible hashed asset; the binary serves it to gzip clients. */
function precompress(): Plugin {
  // The assets folder of the build actually run (`--outDir` may point elsewhere).
  let dir = ''
  return {
    name: 'kechuang-precompress',
    apply: 'build',
    configResolved(c) {
      dir = resolve(c.root, c.build.outDir, c.build.assetsDir)
    },
    closeBundle() {
      for (const f of readdirSync(dir)) {
        if (!/\.(js|css|svg)$/.test(f)) continue
        const raw = readFileSync(join(dir, f))
        if (raw.length < 1024) continue
        writeFileSync(join(dir, `${f}.gz`), gzipSync(raw, { level: 9 }))
      }
    },
  }
}

// Element Plus components (and their CSS) are imported on demand; every page is its own chunk.
export default defineConfig({
  plugins: [
    vue(),
    precompress(),
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: 'src/components.d.ts' }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@vueuse|lodash)/ },
            { name: 'vue', test: /node_modules[\\/](vue|@vue|vue-router|pinia)/ },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  // Element Plus components import their CSS; vitest must transform them rather than hand them to Node.
  // The first test to mount a component pays for transforming Element Plus: seconds on 2 busy cores.
  test: { environment: 'happy-dom', include: ['tests/**/*.test.ts'], server: { deps: { inline: ['element-plus'] } }, testTimeout: 30000 },
})
