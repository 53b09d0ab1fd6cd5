// The workspace navigation. Each item names who may see it; items a role may not use are hidden.
// A part that adds a workspace page adds its item through a WorkspaceSection (workspace-routes.ts).
import type { Staff } from '../accounts/accounts-service.js';
import { canChangeSettings, canManageStaff, canUseWorkspace, canWritePosts } from './admin-permissions.js';

export interface NavItem {
  href: string;
  label: string;
  allowed: (actor: Pick<Staff, 'id' | 'role'>) => boolean;
  /** A number shown beside the label (the inbox's waiting threads); asked once per page, so keep it cheap. */
  count?: (actor: Staff) => Promise<number>;
  /** The count for this request, filled in when the page renders (workspacePage). */
  badge?: number;
}

/** The order items appear in, whichever part adds them. */
export const NAV_ORDER = [
  'Dashboard',
  'Posts',
  'Pages',
  'Comments',
  'Inbox',
  'Programs',
  'Fediverse',
  'Email',
  'Import',
  'Sites',
  'Settings',
  'Staff',
];

export const CORE_NAV: readonly NavItem[] = [
  { href: '/admin/', label: 'Dashboard', allowed: canUseWorkspace },
  { href: '/admin/posts', label: 'Posts', allowed: canWritePosts },
  { href: '/admin/pages', label: 'Pages', allowed: canWritePosts },
  { href: '/admin/settings', label: 'Settings', allowed: canChangeSettings },
  { href: '/admin/staff', label: 'Staff', allowed: canManageStaff },
];

export function sortNav(items: readonly NavItem[]): NavItem[] {
  const rank = (label: string) => {
    const i = NAV_ORDER.indexOf(label);
    return i === -1 ? NAV_ORDER.length : i;
  };
  return [...items].sort((a, b) => rank(a.label) - rank(b.label));
}
