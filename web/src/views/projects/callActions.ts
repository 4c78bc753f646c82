// 发布 and 撤回 of a call, the same from the list and from the detail page.
import { ElMessage, ElMessageBox } from 'element-plus'
import { api, errorMessage } from '@/api/http'
import type { Call } from '@/api/types'

/** Publish a draft after confirmation; true when published. */
export async function publishCall(c: Call): Promise<boolean> {
  try {
    await ElMessageBox.confirm(`发布后，符合条件的单位即可看到并申报“${c.title}”；发布后不能再修改，只能撤回。确定发布吗？`, '发布指南', { type: 'warning', confirmButtonText: '发布', cancelButtonText: '取消' })
  } catch {
    return false
  }
  try {
    await api.post<Call>(`/calls/${c.id}/publish`)
    ElMessage.success('指南已发布')
    return true
  } catch (e) {
    ElMessage.error(`发布未成功：${errorMessage(e)}`)
    return false
  }
}

/** Withdraw a published call with a reason; true when withdrawn. */
export async function withdrawCall(c: Call): Promise<boolean> {
  let reason: string
  try {
    const r = await ElMessageBox.prompt(`撤回后申报单位不能再看到和申报“${c.title}”。请写明撤回理由：`, '撤回指南', {
      confirmButtonText: '撤回', cancelButtonText: '取消', inputType: 'textarea', inputPlaceholder: '如：指南内容调整，将重新发布',
      inputValidator: (s) => !!s?.trim() || '请填写撤回理由',
    })
    reason = r.value.trim()
  } catch {
    return false
  }
  try {
    await api.post<Call>(`/calls/${c.id}/withdraw`, { reason })
    ElMessage.success('指南已撤回')
    return true
  } catch (e) {
    ElMessage.error(`撤回未成功：${errorMessage(e)}`)
    return false
  }
}
