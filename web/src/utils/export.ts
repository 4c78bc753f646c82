import { ElMessage } from 'element-plus'
import { errorMessage, send, type Query } from '@/api/http'
import { saveBlob, todayShanghai } from '@/utils/format'

/** Download `endpoint` (an xlsx export) with the list's current filters. */
export async function exportXlsx(endpoint: string, query: Query, name: string) {
  try {
    const res = await send(endpoint, { query })
    const blob = await res.blob()
    saveBlob(blob, `${name}_${todayShanghai().replaceAll('-', '')}.xlsx`)
    ElMessage.success('导出成功')
  } catch (e) {
    ElMessage.error(errorMessage(e))
  }
}
