import { Page } from '../../components/page';

export default function Stub() {
  return <Page title="admin/devices-page">{null}</Page>;
}
