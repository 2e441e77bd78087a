import { Page } from '../../components/page';

export default function Stub() {
  return <Page title="admin/users-page">{null}</Page>;
}
