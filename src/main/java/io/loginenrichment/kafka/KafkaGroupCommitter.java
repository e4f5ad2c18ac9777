package io.loginenrichment.kafka;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Commits to the pipeline's consumer group through the admin API. KafkaIO's readers assign
 * partitions rather than join the group, so the group stays empty and accepts these commits.
 */
public final class KafkaGroupCommitter implements OffsetCommitter {
  private final KafkaConnection kafka;
  private final String group;

  public KafkaGroupCommitter(KafkaConnection kafka, String group) {
    this.kafka = kafka;
    this.group = group;
  }

  @Override
  public long committed(String topic, int partition) {
    TopicPartition tp = new TopicPartition(topic, partition);
    Admin admin = SharedKafkaClients.admin(kafka);
    try {
      OffsetAndMetadata committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(tp);
      if (committed != null) {
        return committed.offset();
      }
      // No commit yet: the group read from the start (LATEST groups get a commit before starting).
      return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp).get().offset();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the committed offset of " + tp, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the committed offset of " + tp + " in group " + group, e.getCause());
    }
  }

  @Override
  public void commit(String topic, int partition, long offset) {
    TopicPartition tp = new TopicPartition(topic, partition);
    try {
      SharedKafkaClients.admin(kafka)
          .alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(offset)))
          .all()
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted committing " + tp + "@" + offset, e);
    } catch (ExecutionException e) {
      // Fails the bundle; the runner retries it, and committing the same offset again is harmless.
      throw new IllegalStateException("cannot commit " + tp + "@" + offset + " to group " + group, e.getCause());
    }
  }
}
