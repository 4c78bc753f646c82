// ----- 首页 (each role's to-do centre) -----

export type HomeTagType = 'danger' | 'warning' | 'primary' | 'info' | 'success'

export interface HomeTodo {
  key: string
  label: string
  count: number
  detail: string
  /** A front-end route path, query included. */
  path: string
  type: HomeTagType
}

export interface HomeRow {
  title: string
  subtitle: string
  status_label: string
  status_type: string
  due_on: string | null
  path: string
}

export interface Home {
  view: 'officer' | 'leader' | 'enterprise' | 'expert' | 'auditor' | 'admin' | 'registrar' | 'commissioner'
  title: string
  todos: HomeTodo[]
  rows_title: string
  rows: HomeRow[]
  /** The caller may read GET /stats/overview (officer, leader, admin). */
  show_overview: boolean
}
