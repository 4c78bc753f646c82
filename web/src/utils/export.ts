import { ElMessage } from 'element-plus'
import { errorMessage, send, type Query } from '@/api/http'
import { saveBlob } from '@/utils/format'

/** Download `endpoint` (an xlsx export) with the list's current filters. */
export async function exportXlsx(endpoint: string, query: Query, name: string) {
  try {
    const res = await send(endpoint, { query })
    const blob = await res.blob()
    const d = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10).replaceAll('-', '')
    saveBlob(blob, `${name}_${d}.xlsx`)
    ElMessage.success('导出成功')
  } catch (e) {
    ElMessage.error(errorMessage(e))
  }
}
