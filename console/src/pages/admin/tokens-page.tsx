import { Page } from '../../components/page';

export default function Stub() {
  return <Page title="admin/tokens-page">{null}</Page>;
}
