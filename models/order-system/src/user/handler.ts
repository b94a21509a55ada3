// The user service: accounts with a role and a status. Admin updates come
// through the gateway's /users route as versioned commands; each field is a
// last-writer-wins register, so duplicates and reordering are harmless.
import type { ChangeUserStatus, RegisterUser, Step, UserInbound, UserRole, UserStatus } from "../shared/events.js";
import { isText, lookup, put, type Table } from "../shared/records.js";
import { isVersion, merge, type Register } from "../shared/register.js";

export interface User {
  id: string;
  name: Register<string> | null;
  email: Register<string> | null;
  role: Register<UserRole> | null;
  status: Register<UserStatus> | null;
}

export interface UserState {
  users: Table<User>;
}

type Result = Step<UserState, never>;

const ROLES: readonly string[] = ["admin", "manager", "employee", "customer"];
const STATUSES: readonly string[] = ["active", "inactive", "suspended", "deleted"];

function blank(id: string): User {
  return { id, name: null, email: null, role: null, status: null };
}

function write(state: UserState, user: User): Result {
  const before = lookup(state.users, user.id);
  if (before && JSON.stringify(before) === JSON.stringify(user)) return { state };
  return { state: { users: put(state.users, user.id, user) } };
}

function register(state: UserState, e: RegisterUser): Result {
  if (!isText(e.userId) || !isVersion(e.version) || !ROLES.includes(e.role)) return { state };
  const u = lookup(state.users, e.userId) ?? blank(e.userId);
  const v = e.version;
  return write(state, {
    ...u,
    name: merge(u.name ?? undefined, { value: e.name, version: v }),
    email: merge(u.email ?? undefined, { value: e.email, version: v }),
    role: merge(u.role ?? undefined, { value: e.role, version: v }),
    status: merge(u.status ?? undefined, { value: "active", version: v }),
  });
}

function changeStatus(state: UserState, e: ChangeUserStatus): Result {
  if (!isText(e.userId) || !isVersion(e.version) || !STATUSES.includes(e.status)) return { state };
  const u = lookup(state.users, e.userId) ?? blank(e.userId);
  return write(state, { ...u, status: merge(u.status ?? undefined, { value: e.status, version: e.version }) });
}

export const user = {
  initialState: (): UserState => ({ users: {} }),

  handle(state: UserState, event: UserInbound): Result {
    switch (event.type) {
      case "RegisterUser":
        return register(state, event);
      case "ChangeUserStatus":
        return changeStatus(state, event);
      default:
        return { state };
    }
  },
};
