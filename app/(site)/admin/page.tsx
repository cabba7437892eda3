/** /admin opens on the users (the same page as /admin/users). */
export { default, metadata } from './users/page';
