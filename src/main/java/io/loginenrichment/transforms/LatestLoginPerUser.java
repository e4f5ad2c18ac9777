package io.loginenrichment.transforms;

import io.loginenrichment.model.LastLogin;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Windowed logins of known users in; per window and login_id, only the newest login out (one
 * write per user per window however many logins). Nothing is dropped: the others are merged.
 */
public final class LatestLoginPerUser
    extends PTransform<PCollection<LastLogin>, PCollection<LastLogin>> {

  @Override
  public PCollection<LastLogin> expand(PCollection<LastLogin> logins) {
    return logins
        .apply("KeyByLoginId", WithKeys.of(LastLogin::loginId).withKeyType(TypeDescriptors.strings()))
        .apply("KeepNewest", Combine.perKey(new NewestFn()))
        .apply("DropKeys", Values.create())
        .apply("CountRows", ParDo.of(new CountRowsFn()));
  }

  static final class NewestFn extends Combine.BinaryCombineFn<LastLogin> {
    @Override
    public LastLogin apply(LastLogin left, LastLogin right) {
      return LastLogin.newer(left, right);
    }
  }

  static final class CountRowsFn extends DoFn<LastLogin, LastLogin> {
    @ProcessElement
    public void process(@Element LastLogin row, OutputReceiver<LastLogin> out) {
      PipelineMetrics.ROWS_EMITTED.inc();
      out.output(row);
    }
  }
}
