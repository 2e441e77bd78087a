import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class CameraIdParam {
  /** The camera's number, from 1. */
  @Matches(/^[1-9][0-9]{0,3}$/, { message: 'id must be a camera number' })
  id: string;
}

/** A camera you may view. */
export class CameraDto {
  @ApiProperty({ example: '1' })
  id: string;

  @ApiProperty({ example: 'Front door' })
  name: string;

  /** A JPEG of what the camera sees now. Add `?access_token=pgl_…` for an `<img src>`. */
  @ApiProperty({ example: '/api/cameras/1/snapshot' })
  snapshot_url: string;

  /** A `multipart/x-mixed-replace` MJPEG stream. Add `?access_token=pgl_…` for an `<img src>`. */
  @ApiProperty({ example: '/api/cameras/1/stream' })
  stream_url: string;
}
