"""gen0 provisioning by hand: trainer job, deployment, a weight syncer and a sampler."""
# corpus: static

from concurrent.futures import ThreadPoolExecutor

from fireworks.training.sdk import DeploymentSampler, WeightSyncer
from training.utils import InfraConfig, create_trainer_job, get_deployment_gpu_count, setup_deployment, wait_trainer_job


def provision(rlor_mgr, deploy_mgr, base_model):
    with ThreadPoolExecutor(max_workers=2) as pool:
        job = pool.submit(create_trainer_job, rlor_mgr, base_model, InfraConfig(trainer_timeout_s=3600))
        deployment = pool.submit(setup_deployment, deploy_mgr, base_model)
    endpoint = wait_trainer_job(rlor_mgr, job.result().job_id)
    gpus = get_deployment_gpu_count(deploy_mgr, deployment.result().deployment_id)
    syncer = WeightSyncer(endpoint, deploy_mgr, deployment_id=deployment.result().deployment_id)
    sampler = DeploymentSampler(deployment.result().inference_model, gpus)
    return syncer, sampler
