import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { ElMessage } from 'element-plus'
import { ApiError } from './api/http'
import { hasPermi } from './directives/hasPermi'
import { fieldsMessage } from './utils/forms'
import 'element-plus/theme-chalk/base.css'
import 'element-plus/theme-chalk/el-message.css'
import 'element-plus/theme-chalk/el-message-box.css'
import 'element-plus/theme-chalk/el-loading.css'
import './style.css'

const app = createApp(App)
app.use(createPinia())
app.use(router)
app.directive('hasPermi', hasPermi)
// Never a blank page or a raw error: log it, tell the user in Chinese, keep the UI alive.
app.config.errorHandler = (err) => {
  console.error(err)
  ElMessage.error({ message: fieldsMessage(err), grouping: true })
}
window.addEventListener('unhandledrejection', (e) => {
  console.error(e.reason)
  // 401s are handled by the redirect to the login page.
  if (e.reason instanceof ApiError && e.reason.status === 401) return
  ElMessage.error({ message: fieldsMessage(e.reason), grouping: true })
})
// A chunk that cannot be loaded (e.g. the server was upgraded meanwhile): reload once.
router.onError((err, to) => {
  if (/dynamically imported module|Importing a module script failed/i.test(String(err)) && !sessionStorage.getItem('kc-reloaded')) {
    sessionStorage.setItem('kc-reloaded', '1')
    window.location.assign(to.fullPath)
  }
})
app.mount('#app')
