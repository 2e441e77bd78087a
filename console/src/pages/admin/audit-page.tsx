import { Page } from '../../components/page';

export default function Stub() {
  return <Page title="admin/audit-page">{null}</Page>;
}
