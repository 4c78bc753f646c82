import { ElMessage, ElMessageBox } from 'element-plus'
import { api, errorMessage } from '@/api/http'

/** 是否确认删除…？ then DELETE each path; true when at least one was deleted. */
export async function confirmDelete(what: string, paths: string[]): Promise<boolean> {
  try {
    await ElMessageBox.confirm(`是否确认删除${what}的数据项？`, '系统提示', { type: 'warning', confirmButtonText: '确定', cancelButtonText: '取消' })
  } catch {
    return false
  }
  let done = 0
  for (const p of paths) {
    try {
      await api.del(p)
      done++
    } catch (e) {
      ElMessage.error(errorMessage(e))
      break
    }
  }
  if (done) ElMessage.success('删除成功')
  return done > 0
}
