/**
 * The blind ablation of a vision-language policy (issue 11): the same task with every image
 * zeroed (all pixels black, the same size), so an evaluation shows how much the policy reads the
 * image. Whatever it still gets right it learned from the text alone (in V-IRL-VL the
 * intersection flag and the history are text; the destination is only in the street views).
 */
import type { RgbImage } from '../../../shared/tasks/image';
import type { TaskCodec, TrainingTask } from './task';

/** A zeroed image of `image`'s size. */
export function zeroImage(image: Pick<RgbImage, 'width' | 'height'>): RgbImage {
  return { width: image.width, height: image.height, data: new Uint8Array(image.width * image.height * 3) };
}

/** `task` with every observation's image zeroed; refused for a task that shows no images. */
export function blindTask<O, I>(task: TrainingTask<O, I>): TrainingTask<O, I> {
  if (!task.imageSize) throw new Error('the blind ablation zeroes the image a vision-language policy reads; this run\'s task shows no images');
  const codec: TaskCodec<O, I> = Object.create(task.codec) as TaskCodec<O, I>;
  codec.encodeObservation = (observation) => {
    const { tokens, image } = task.codec.encodeObservation(observation);
    return { tokens, image: zeroImage(image ?? (task.imageSize as { width: number; height: number })) };
  };
  return { ...task, codec };
}
