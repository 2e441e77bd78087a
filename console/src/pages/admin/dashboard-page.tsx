import { Page } from '../../components/page';

export default function Stub() {
  return <Page title="admin/dashboard-page">{null}</Page>;
}
