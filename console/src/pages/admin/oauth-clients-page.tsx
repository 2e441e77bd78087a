import { Page } from '../../components/page';

export default function Stub() {
  return <Page title="admin/oauth-clients-page">{null}</Page>;
}
