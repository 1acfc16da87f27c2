export {
  GALLERY_IDB_DATABASE,
  GALLERY_LOCATION,
  type GalleryDbState,
  type GalleryRun,
  type Query,
} from './gallery-db';
export { enrolAndShow, showPreviousVisit } from './section';
export { isRight } from './view';
