// Enrols the crash test's templates into GALLERY_DIR, printing a line after each committed batch.
import { openGallery } from '@face/gallery';
import { CRASH_MODEL, crashTemplates } from './crash-data';

const gallery = await openGallery(process.env.GALLERY_DIR!, { model: CRASH_MODEL });
let batches = 0;
await gallery.enrolStream(crashTemplates(), {
  batchSize: 200,
  onProgress: (done) =>
    console.log(`batch ${++batches} added ${done.added} skipped ${done.skipped}`),
});
await gallery.close();
console.log('done');
