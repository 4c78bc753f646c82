// ----- 系统管理 (users, session, roles, audit) -----

export interface User {
  id: number
  username: string
  display_name: string
  scope_kind: string
  region_code: string
  region_name: string
  org_id: number | null
  status: string
  roles: string[]
  permissions: string[]
  must_change_password: boolean
  locked_until: number | null
  last_login_at: number | null
  created_at: number
  /** When the password was last set (epoch ms); the expiry policy counts from here. */
  password_changed_at: number | null
}

export interface Me {
  user: User
  scope: string
  csrf_token: string
  must_change_password: boolean
}

export interface Role {
  key: string
  name: string
  builtin: boolean
  permissions: string[]
}

export interface AuditEntry {
  seq: number
  at: number
  actor_id: number | null
  actor: string
  action: string
  entity: string
  entity_id: string
  region_path: string | null
  org_id: number | null
  before_json: string | null
  after_json: string | null
  prev_hash: string
  hash: string
  /** The client's address; null for the system, the CLI and records before it was kept. */
  client_addr: string | null
}
