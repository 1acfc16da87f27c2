// '@face/data/node': the parts that need Node (file system, sharp). Everything else, including
// the browser decoder, is in '@face/data'.
export { decodeImageNode, type DecodeOptions } from './decode/node';
export {
  ImageFolder,
  IMAGE_EXTENSIONS,
  type ImageFolderOptions,
  type OpenImageFolderOptions,
} from './sources/image-folder';
export { ImageList, readListFile, type ImageListOptions } from './sources/image-list';
